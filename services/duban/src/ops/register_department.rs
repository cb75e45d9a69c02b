//! `registerDepartment`: a new 责任单位, unique by name.

use duban_domain::Actor;
use duban_domain::department::{Department, DepartmentCommand, DepartmentKind};
use duban_domain::ids::DepartmentId;

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::{ServiceError, ServiceResult};
use crate::ops::created;

impl App {
    /// Registers a department; a name already registered is refused.
    pub async fn register_department(
        &self,
        actor: &Actor,
        name: &str,
        kind: DepartmentKind,
        parent_id: Option<&str>,
        command_id: Option<String>,
    ) -> ServiceResult<Department> {
        let options = CommandOptions {
            expected_version: None,
            command_id,
        };
        if let Some(stream) = self
            .first_stream_of(actor, options.command_id.as_deref())
            .await?
        {
            return created(self.load::<Department>(&stream).await?);
        }
        let parent = match parent_id {
            Some(raw) => Some(self.department_ref("parentId", raw).await?),
            None => None,
        };
        let trimmed = name.trim();
        if self
            .read
            .read(|m| m.departments.values().any(|d| d.name == trimmed))
        {
            actor.require_office("register a department")?;
            return Err(ServiceError::invalid(
                "name",
                format!("a department named {trimmed} is already registered"),
            ));
        }
        let id = DepartmentId::new();
        let command = DepartmentCommand::Register {
            id,
            name: name.to_string(),
            kind,
            parent,
        };
        let done = self
            .run::<Department>(&id.stream(), actor, &options, command)
            .await?;
        created(done.state)
    }
}
